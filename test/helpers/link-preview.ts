/** A flagged message's text with a link, and the preview Slack attaches for that link (as conversations.history returns it). */
export const MESSAGE_WITH_PREVIEW = {
  text: 'Reply to this with our take? <https://news.example.com/story>',
  attachments: [
    {
      from_url: 'https://news.example.com/story',
      original_url: 'https://news.example.com/story',
      fallback: 'Example News: Rival brand apologises',
      title: 'Rival brand apologises after ad backlash',
      title_link: 'https://news.example.com/story',
      text: 'The company said on Tuesday it would pull the campaign after thousands of complaints from customers across the country.',
      service_name: 'Example News',
    },
  ],
};
